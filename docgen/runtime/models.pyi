# The generated models module as the runtime sees it, for the type checker only (not
# copied):
# every generated package has ErrorBody, the component of SuperOffice's error body
# (docgen/model/api.py ERROR_SCHEMA, ERROR_FIELDS), on the package's ApiModel.
from ._base import ApiModel

class ErrorBody(ApiModel):
    error: str | None
    error_type: str | None
    error_message: str | None
    error_source: str | None
