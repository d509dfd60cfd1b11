"""What text can be stored: one definition of the characters that cannot, and two ways to meet them.

Postgres cannot store NUL in a ``text`` column (asyncpg raises ``CharacterNotInRepertoireError``),
no UTF-8 encoder can write a lone surrogate, and the other control characters have no business
in text a person reads. Tab, LF and CR stay: they are how text is laid out.

- Text a person sends is refused with the first such character named (``rest.UserText``, which
  uses :func:`unstorable_character`): they can fix it and send it again.
- Text a worker wrote (a model's words, or words read off a resume) is cleaned
  (:data:`StorableText`, :func:`remove_unstorable`): refusing it would dead-letter the result
  and lose the work, for a character nobody meant to write.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator

# C0 controls but tab, LF and CR (a browser sends a textarea's line breaks as CRLF), DEL, the C1
# controls, and surrogates (only a lone one can reach a str: JSON's "\ud800" escape decodes to it).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def unstorable_character(text: str) -> str | None:
    """Why ``text`` is not acceptable user text (its first forbidden character), or ``None``."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return (
        f"must not contain control characters (found U+{ord(found.group()):04X} at position "
        f"{found.start()}); only tab and line breaks are allowed"
    )


def remove_unstorable(text: str) -> str:
    """``text`` without the characters :func:`unstorable_character` refuses."""
    return _UNSTORABLE.sub("", text)


def _cleaned(value: object) -> object:
    # Anything but a str is left to the str validator, which refuses it as it would have.
    return remove_unstorable(value) if isinstance(value, str) else value


StorableText = Annotated[str, BeforeValidator(_cleaned)]
"""Text a worker wrote: unstorable characters are removed before the field's own limits
(length) are checked, so they apply to the text as it will be stored."""
