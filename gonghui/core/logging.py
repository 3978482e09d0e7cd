"""Log filter that keeps ID numbers and phone numbers out of every log line."""

import logging

from gonghui.core.masking import mask_text


class MaskPersonalDataFilter(logging.Filter):
    """Masks the message, the traceback and the stack of a record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
