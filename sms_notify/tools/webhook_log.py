"""Keep the delivery webhooks' secret out of the logs.

Vendors without request signing call ``/sms_notify/report/<gateway id>/<secret>``: the secret
is what authenticates them, and the HTTP server writes every request line, path included, to
the ``werkzeug`` logger (Odoo's access log).  A filter on that logger replaces the secret
segment with ``***`` before any handler formats the record.
"""

import logging
import re

WEBHOOK_PREFIX = "/sms_notify/report/"
#: the segment after the gateway id, up to the next slash, query, fragment, quote or space
_SECRET_SEGMENT = re.compile(r"(/sms_notify/report/[^/\s?#\"']*/)[^/\s?#\"']+")
#: loggers that write request lines
REQUEST_LOGGERS = ("werkzeug",)


def mask_webhook_secrets(text):
    """``text`` with the secret of every webhook address in it replaced by ``***``."""
    return _SECRET_SEGMENT.sub(r"\1***", text)


class WebhookSecretFilter(logging.Filter):
    """Masks webhook secrets in the records of the logger it is added to."""

    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        if WEBHOOK_PREFIX in str(record.msg) or any(WEBHOOK_PREFIX in str(arg) for arg in args):
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                message = str(record.msg)
            record.msg = mask_webhook_secrets(message)
            record.args = ()
        return True


def install(logger_names=REQUEST_LOGGERS):
    """Add the filter to the request loggers, once per process."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, WebhookSecretFilter) for f in logger.filters):
            logger.addFilter(WebhookSecretFilter())
