from . import loyalty_card
from . import loyalty_program
