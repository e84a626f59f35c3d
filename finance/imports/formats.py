"""The statement formats: each is one parser module whose class takes the file's byte stream and
answers `accounts()` (the accounts the file speaks about) and `rows()` (ParsedRow or RowProblem,
in file order). A new format is a new module and one line here (and in detect.py).

CSV (its columns may need a person's choice) and JSON data sets (several people's data) have
their own steps in the pipeline.
"""

from finance.imports.camt_parser import CamtStatement
from finance.imports.mt940_parser import Mt940Statement
from finance.imports.ofx_parser import OfxStatement
from finance.imports.qif_parser import QifFile

STATEMENT_PARSERS = {"ofx": OfxStatement, "qif": QifFile, "camt053": CamtStatement, "mt940": Mt940Statement}
