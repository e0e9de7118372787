"""Exports: Word documents now; question banks and other formats join later.

Everything here takes plain data (dicts from ``model_dump()``) and returns bytes, so it
never imports the generation package or Flask.
"""

from eduteach.exports.docx_base import DocumentBuilder, DocumentMeta, load_labels
from eduteach.exports.docx_plans import render_lesson_plan_docx, render_unit_plan_docx

__all__ = [
    "DocumentBuilder",
    "DocumentMeta",
    "load_labels",
    "render_lesson_plan_docx",
    "render_unit_plan_docx",
]
