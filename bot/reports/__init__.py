"""Report files: the weekly chart (PNG, matplotlib) and the monthly workbook (.xlsx, openpyxl)."""
