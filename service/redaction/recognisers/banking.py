"""Bank details: sort codes and account numbers, recognised by their wording."""

from __future__ import annotations

from presidio_analyzer import Pattern

from service.redaction.recognisers.base import ContextPatternRecognizer


class SortCodeRecognizer(ContextPatternRecognizer):
    """Sort codes (12-34-56, 12 34 56, 123456) near banking words."""

    ENTITY = "SORT_CODE"
    PATTERNS = [
        Pattern("sort_code_grouped", r"(?<![\w-])\d{2}[- ]\d{2}[- ]\d{2}(?![\w-])", 0.3),
        Pattern("sort_code_plain", r"(?<![\w-])\d{6}(?![\w-])", 0.2),
    ]
    CONTEXT = ("sort code", "sortcode", "sort", "bank", "account", "a/c", "acc", "building society")
    CONTEXT_REQUIRED = True
    BEFORE = 40


class BankAccountRecognizer(ContextPatternRecognizer):
    """Eight-digit account numbers near account wording."""

    ENTITY = "BANK_ACCOUNT"
    PATTERNS = [Pattern("account_number", r"(?<![\w-])\d{4}[ ]?\d{4}(?![\w-])", 0.3)]
    CONTEXT = ("account", "account number", "account no", "acc no", "acct", "a/c", "bank", "building society")
    CONTEXT_REQUIRED = True
    BEFORE = 40
