"""Tracked links in SMS texts."""

import re

#: a URL in plain text, as Odoo finds them (``odoo.tools.mail.TEXT_URL_REGEX``)
TEXT_URL_PATTERN = r"https?://[\w@:%.+&~#=/-]+(?:\?\S+)?"


def trace_links_to_sms(body, short_link_prefix, sms_id):
    """Add ``/s/<sms_id>`` to each tracked link of ``body`` (links starting with
    ``short_link_prefix``, the database's ``<base URL>/r/``), so that a click is traced back to
    the SMS. SMS Marketing does the same once the SMS exists (``_update_body_short_links``);
    the mass path knows the SMS id before storing the text."""
    if not body or short_link_prefix not in body:
        return body
    for url in set(re.findall(TEXT_URL_PATTERN, body)):
        if url.startswith(short_link_prefix):
            # the whole link only, not the start of a longer one
            body = re.sub(re.escape(url) + r"(?![\w@:%.+&~#=/-])", f"{url}/s/{sms_id}", body)
    return body
