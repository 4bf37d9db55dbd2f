"""Labels of the KUFER fields, served through the catalogue as `field.<id>`.

The labels live once, in kufertui.core.fields (the importer also matches headers against the German
label); this module only hands them to i18n.
"""

from kufertui.core.fields import KUFER_FIELDS

DE = {f"field.{f.id}": f.label_de for f in KUFER_FIELDS}

EN = {f"field.{f.id}": f.label_en for f in KUFER_FIELDS}
