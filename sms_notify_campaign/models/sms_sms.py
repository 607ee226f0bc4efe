from odoo import fields, models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    # a mailing's results are read from its SMS: without an index each mailing form would read
    # the whole SMS history
    mailing_id = fields.Many2one(index="btree_not_null")
