"""Registration forms (信息登记): staff define fields, residents submit, staff export."""
