"""Local HTTP servers speaking the SMS vendors' protocols, shared by the pure tests and the
Odoo tests.  They are helpers, not test modules, and import nothing from Odoo."""
