"""A line-level view of ~/.aws/config that edits single lines and keeps every other byte.

Why not ``configupdater``: it writes edited and added lines with ``\\n`` inside a CRLF file,
and appends a missing key after the section's trailing blank lines and comments (which belong
to the next section); the AWS CLI inserts after the last key line. Both fail the golden tests.

The structure (which line is a header, a key, a continuation of a multi-line value) mirrors
``configparser.RawConfigParser._read`` exactly as botocore configures it: ``=`` and ``:``
delimiters, whole-line ``#``/``;`` comments only, blank lines allowed inside values, keys
lower-cased. botocore's parser itself stays the judge: :func:`parse_like_botocore` runs the very
same ``RawConfigParser`` (plus botocore's nested-value rule) to validate a text and to check
that an edit reads back as intended.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import ConfigParseError

__all__ = ["ConfigText", "Section", "defaults_like_botocore", "parse_like_botocore", "split_lines"]

RawConfig = dict[str, dict[str, "str | dict[str, str]"]]

_EOL = re.compile(r"\r\n|\r|\n")
_SECTCRE = configparser.RawConfigParser.SECTCRE
_OPTCRE = configparser.RawConfigParser().OPTCRE
_NONSPACE = re.compile(r"\S")
# Splits a key line into what stays (indent, key, delimiter with its spacing), the value and
# trailing blanks, so a new value replaces only the value (same first delimiter as _OPTCRE).
_KEY_LINE = re.compile(r"^(?P<head>\s*.*?\s*[=:]\s*)(?P<value>.*?)(?P<tail>\s*)$")


def split_lines(text: str) -> list[tuple[str, str]]:
    """(text, line ending) pairs; line endings as Python's universal newlines see them."""
    lines: list[tuple[str, str]] = []
    pos = 0
    for match in _EOL.finditer(text):
        lines.append((text[pos : match.start()], match.group()))
        pos = match.end()
    if pos < len(text):
        lines.append((text[pos:], ""))
    return lines


def _dominant_eol(lines: list[tuple[str, str]]) -> str:
    counts: dict[str, int] = {}
    for _, eol in lines:
        if eol:
            counts[eol] = counts.get(eol, 0) + 1
    return max(counts, key=lambda e: counts[e]) if counts else "\n"


def _parse_error(path: str, exc: configparser.Error) -> ConfigParseError:
    if isinstance(exc, configparser.DuplicateSectionError):
        return ConfigParseError(
            path, exc.lineno or 0, f"the section [{exc.section}] appears a second time"
        )
    if isinstance(exc, configparser.DuplicateOptionError):
        return ConfigParseError(
            path,
            exc.lineno or 0,
            f"the key {exc.option!r} appears a second time in [{exc.section}]",
        )
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return ConfigParseError(
            path, exc.lineno, "this line is outside any [section]; botocore cannot read it"
        )
    if isinstance(exc, configparser.ParsingError) and exc.errors:
        lineno = exc.errors[0][0]
        return ConfigParseError(
            path,
            lineno,
            "this line is neither a [section] header, a key = value pair nor a comment",
        )
    return ConfigParseError(path, 1, "botocore cannot parse this file")  # pragma: no cover


def _nested(value: str) -> dict[str, str]:
    """botocore's rule for an indented block under ``key =`` (configloader._parse_nested)."""
    parsed: dict[str, str] = {}
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        key, val = line.split("=", 1)  # ValueError: caller reports the line
        parsed[key.strip()] = val.strip()
    return parsed


def _parser(lines: list[tuple[str, str]], path: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()  # exactly botocore's configuration
    try:
        parser.read_file((body + "\n" for body, _ in lines), source=path)
    except configparser.Error as exc:
        raise _first_problem(lines, path, exc) from None
    return parser


def _first_problem(
    lines: list[tuple[str, str]], path: str, exc: configparser.Error
) -> ConfigParseError:
    """configparser stops at a duplicate but only collects bad lines; name the earliest.

    An unterminated ``[profile x`` line is a bad line, and the keys under it then repeat the
    previous section's keys: the bad line is what the person has to fix.
    """
    error = _parse_error(path, exc)
    if isinstance(exc, configparser.DuplicateSectionError | configparser.DuplicateOptionError):
        lenient = configparser.RawConfigParser(strict=False)
        try:
            lenient.read_file((body + "\n" for body, _ in lines), source=path)
        except configparser.ParsingError as earlier:
            if earlier.errors and earlier.errors[0][0] < error.line:
                return _parse_error(path, earlier)
        except configparser.Error:  # pragma: no cover - strict=False raises nothing else
            pass
    return error


def _values(
    lines: list[tuple[str, str]], path: str, section: str, items: Iterable[tuple[str, str]]
) -> dict[str, str | dict[str, str]]:
    values: dict[str, str | dict[str, str]] = {}
    for option, value in items:
        if not value.startswith("\n"):
            values[option] = value
            continue
        try:
            values[option] = _nested(value)
        except ValueError:
            line = ConfigText(lines).nested_error_line(section, option)
            raise ConfigParseError(
                path, line, f"this line under {option!r} in [{section}] needs the form key = value"
            ) from None
    return values


def parse_like_botocore(text: str, path: str) -> RawConfig:
    """What ``botocore.configloader.raw_config_parse`` returns for a file holding ``text``.

    Raises ConfigParseError with the 1-based line of the first problem botocore reports.
    """
    lines = split_lines(text)
    parser = _parser(lines, path)
    return {
        section: _values(
            lines, path, section, ((o, parser.get(section, o)) for o in parser.options(section))
        )
        for section in parser.sections()
    }


def defaults_like_botocore(text: str, path: str) -> dict[str, str | dict[str, str]]:
    """The keys of ``[DEFAULT]`` sections, which configparser copies into every section."""
    lines = split_lines(text)
    return _values(lines, path, "DEFAULT", _parser(lines, path).defaults().items())


@dataclass
class Key:
    name: str  # lower-cased, as botocore sees it
    line: int  # 0-based index of the key line
    continuations: list[int] = field(default_factory=list)

    @property
    def last(self) -> int:
        return self.continuations[-1] if self.continuations else self.line


@dataclass
class Section:
    header: str  # as configparser reads it: "profile ai-dev", "default", 'profile "a b"'
    line: int
    keys: dict[str, Key] = field(default_factory=dict)

    @property
    def last_key_line(self) -> int:
        """Where a new key goes: after the last key or continuation line, else the header."""
        return max((k.last for k in self.keys.values()), default=self.line)

    def key_indent(self, lines: list[tuple[str, str]]) -> str:
        if not self.keys:
            return ""
        last = max(self.keys.values(), key=lambda k: k.line)
        body = lines[last.line][0]
        return body[: len(body) - len(body.lstrip())]


class ConfigText:
    """Lines of one config file with their own endings; edits touch the named lines only.

    Build it from text that :func:`parse_like_botocore` accepted; the structure is recomputed
    after every edit, so positions never go stale.
    """

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        self.lines = list(lines)
        self.eol = _dominant_eol(self.lines)
        self.sections: list[Section] = []
        self._scan()

    @classmethod
    def from_text(cls, text: str) -> ConfigText:
        return cls(split_lines(text))

    def render(self) -> str:
        return "".join(body + eol for body, eol in self.lines)

    def _scan(self) -> None:
        """Classify lines the way configparser's ``_read`` does (no error handling needed)."""
        self.sections = []
        current: Section | None = None
        key: Key | None = None
        indent_level = 0
        for index, (body, _) in enumerate(self.lines):
            stripped = body.strip()
            if not stripped or stripped.startswith(("#", ";")):
                continue
            found = _NONSPACE.search(body)
            indent = found.start() if found else 0
            if current is not None and key is not None and indent > indent_level:
                key.continuations.append(index)
                continue
            indent_level = indent
            header = _SECTCRE.match(stripped)
            if header:
                current = Section(header.group("header"), index)
                self.sections.append(current)
                key = None
                continue
            option = _OPTCRE.match(stripped)
            if current is None or not option:
                key = None
                continue
            name = option.group("option").rstrip().lower()
            key = Key(name, index)
            current.keys[name] = key

    def section(self, header: str) -> Section | None:
        for section in reversed(self.sections):
            if section.header == header:
                return section
        return None

    def nested_error_line(self, header: str, option: str) -> int:
        """1-based line of the first line without '=' in a nested block (for the message)."""
        section = self.section(header)
        key = section.keys.get(option) if section else None
        if key is None:  # pragma: no cover - only called for keys configparser found
            return 1
        for index in key.continuations:
            if "=" not in self.lines[index][0]:
                return index + 1
        return key.line + 1

    # -- edits ---------------------------------------------------------------------------

    def set_key(self, header: str, name: str, value: str) -> None:
        """Replace the value on the key's own line, or add the key after the section's last."""
        section = self.section(header)
        if section is None:
            raise KeyError(header)
        key = section.keys.get(name.lower())
        if key is not None:
            body, eol = self.lines[key.line]
            parts = _KEY_LINE.match(body)
            assert parts is not None  # a key line always has a delimiter
            new_body = parts.group("head") + value + parts.group("tail")
            drop = set(key.continuations)
            self.lines[key.line] = (new_body, eol)
            self.lines = [line for i, line in enumerate(self.lines) if i not in drop]
        else:
            at = section.last_key_line
            indent = section.key_indent(self.lines)
            self._insert(at + 1, [f"{indent}{name} = {value}"])
        self._scan()

    def remove_key(self, header: str, name: str) -> None:
        section = self.section(header)
        key = section.keys.get(name.lower()) if section else None
        if key is None:
            return
        drop = {key.line, *key.continuations}
        self.lines = [line for i, line in enumerate(self.lines) if i not in drop]
        self._scan()

    def append_section(self, header: str, items: Iterable[tuple[str, str]]) -> None:
        """A new section at the end, right after the last line, as ``aws configure sso``
        writes it (no blank line before it), so our result is byte for byte the CLI's."""
        new = [f"[{header}]", *(f"{k} = {v}" for k, v in items)]
        self._insert(len(self.lines), new)
        self._scan()

    def _insert(self, at: int, bodies: list[str]) -> None:
        if at > 0 and not self.lines[at - 1][1]:
            # The line before had no ending (end of file without a final newline).
            self.lines[at - 1] = (self.lines[at - 1][0], self.eol)
        self.lines[at:at] = [(body, self.eol) for body in bodies]
