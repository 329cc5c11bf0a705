"""Writes the samples that openpyxl produces: formulas saved with no cached value.

openpyxl (3.1) keeps formulas when it loads a workbook and writes them back with an empty <v/>,
as scripts that generate or edit 自评表 do. Run from the repository root after
`cargo run --example make_samples`:

    pip install openpyxl==3.1.5
    python3 samples/make_openpyxl_samples.py
"""

import openpyxl

# The clean national form, re-saved by openpyxl: every formula loses its cached result.
wb = openpyxl.load_workbook("samples/national_clean.xlsx")
wb.save("samples/openpyxl_no_cache.xlsx")

# The same form with a total formula that leaves out one part: SUM(C7:C8) while C9 holds 5.
wb = openpyxl.load_workbook("samples/national_clean.xlsx")
ws = wb.active
ws["C9"] = 5
ws["C6"] = "=SUM(C7:C8)"
wb.save("samples/openpyxl_wrong_sum.xlsx")
