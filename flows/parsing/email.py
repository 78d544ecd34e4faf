"""Read an e-mail address and return it normalized (the domain lower-cased, IDN in Unicode)."""

from email_validator import EmailNotValidError, validate_email

from flows.parsing.errors import ParseError


def parse_email(text: str) -> str:
    """Return the normalized address; syntax only, no DNS lookup (the bot may run offline)."""
    address = text.strip()
    if not address:
        raise ParseError("email.empty")
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ParseError("email.invalid") from None
