from . import models
from . import tools
from . import wizard
from .hooks import uninstall_hook
