"""CSV files staff open in a spreadsheet: Korean intact, and no cell run as a formula."""

import csv

from django.http import HttpResponse


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def csv_download(filename: str) -> tuple[HttpResponse, "csv.Writer"]:
    """An attachment response that Excel opens as UTF-8, and a writer into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the byte-order mark tells Excel the file is UTF-8
    return response, csv.writer(response)
