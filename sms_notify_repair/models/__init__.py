from . import repair_order
