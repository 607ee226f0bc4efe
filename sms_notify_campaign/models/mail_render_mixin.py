import re

from odoo import models

from ..tools.links import TEXT_URL_PATTERN


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    def _shorten_links_text(self, content, link_tracker_vals, blacklist=None, base_url=None):
        # SMS Marketing calls this for every recipient's text, and it reads the base URL
        # before looking for a link; most SMS have none
        if content and not re.search(TEXT_URL_PATTERN, content):
            return content
        return super()._shorten_links_text(
            content, link_tracker_vals, blacklist=blacklist, base_url=base_url
        )
