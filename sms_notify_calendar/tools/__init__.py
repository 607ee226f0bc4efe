# Pure Python: nothing here imports odoo, so the top-level tests/ can import it directly.
