"""Errors that services raise for people to read; views and the API turn them into 400 and 409."""

from django.core.exceptions import ValidationError


class ConflictError(Exception):
    """Someone else changed the record since it was read (optimistic version check)."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重新编辑。"):
        super().__init__(message)
        self.message = message


def field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def parsed(field: str, parse, value: str) -> str:
    """Run an identifier parser; its Chinese message is reported against ``field``."""
    try:
        return parse(value)
    except ValidationError as exc:
        raise field_error(field, exc.messages[0], code=getattr(exc, "code", None) or "invalid") from None
