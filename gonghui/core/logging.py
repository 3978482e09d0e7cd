"""Log filter that keeps ID numbers and phone numbers out of every log line, and the JSON line format of
production (one object per line, with the request id)."""

import contextvars
import datetime as dt
import json
import logging

from gonghui.core.masking import mask_text

# The id of the request being served (gonghui.core.requestlog), carried by every log line written meanwhile.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("gonghui_request_id", default="")


class MaskPersonalDataFilter(logging.Filter):
    """Masks the message, the traceback and the stack of a record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None) and (rid := request_id.get()):
            record.request_id = rid  # stamped now: a handler may format the record after the request ended
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


# LogRecord attributes that are not "extra" fields of the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC offset), level, logger, message, request_id when inside a
    request, the record's ``extra`` fields, and the traceback. The whole line is masked again (``mask_text``), so
    an ID number or phone in an extra field or an exception's text never reaches the log either."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := getattr(record, "request_id", None) or request_id.get():
            line["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and not key.startswith("_"):
                line[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return mask_text(json.dumps(line, ensure_ascii=False, default=str))
