"""The one line a bad input gives, for tests that compare it in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.errors import DataError


def data_error(call, *args, **kwargs) -> str:
    """The message of the DataError that ``call(*args, **kwargs)`` raises (one line)."""
    with pytest.raises(DataError) as err:
        call(*args, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    return message


def check_line_errors(read, path: Path, cases) -> None:
    """Write each ``(text, line, message)`` case to `path`; ``read(path)`` must fail with
    ``<file name>:<line>: <message>``."""
    for text, line, message in cases:
        path.write_text(text, encoding="utf-8")
        assert data_error(read, path) == f"{path.name}:{line}: {message}", text
