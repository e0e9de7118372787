"""Data shapes for reading teacher uploads: limits, structural blocks, the extracted document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MB = 1024 * 1024

DocumentKind = Literal["docx", "pdf", "txt", "pasted"]


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """What one request may upload and what reading one file may cost."""

    max_bytes: int = 10 * MB
    max_files: int = 3
    max_chars: int = 200_000
    max_pdf_pages: int = 50
    parse_seconds: float = 20.0
    memory_bytes: int = 512 * MB
    zip_max_members: int = 2_000
    zip_max_uncompressed: int = 100 * MB
    # Word XML compresses about 5-30x; a bomb needs hundreds or thousands.
    zip_max_ratio: int = 100
    # Small members may have any ratio: they cannot add up to a bomb past the total cap.
    zip_ratio_exempt_below: int = 1 * MB


DEFAULT_LIMITS = UploadLimits()


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Heading(_Block):
    """A heading; level 1 is the outermost."""

    type: Literal["heading"] = "heading"
    text: str
    level: int = Field(ge=1, le=6)


class Paragraph(_Block):
    """Body text; may hold line breaks the author typed."""

    type: Literal["paragraph"] = "paragraph"
    text: str


class ListItem(_Block):
    """One item of a bulleted (unordered) or numbered (ordered) list; level 0 is outermost."""

    type: Literal["list_item"] = "list_item"
    text: str
    ordered: bool
    level: int = Field(ge=0, le=8)


class Table(_Block):
    """A table as rows of cell texts (rows may differ in length where cells were merged)."""

    type: Literal["table"] = "table"
    rows: tuple[tuple[str, ...], ...]


Block = Annotated[Heading | Paragraph | ListItem | Table, Field(discriminator="type")]


class ExtractedDocument(BaseModel):
    """The readable content of one upload or paste, ready to be quoted to the model as data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    kind: DocumentKind
    text: str
    blocks: tuple[Block, ...]
    page_count: int | None = Field(default=None, ge=0)
    char_count: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    truncated: bool = False
    warnings: tuple[str, ...] = ()
