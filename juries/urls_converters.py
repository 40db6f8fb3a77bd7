"""Path converters: a URL segment matches exactly what the database may store."""

from django.urls import register_converter

from juries.models.students import NUMERO_PATTERN


class NumeroConverter:
    """A student `numero` (CONTRACTS.md, Student.numero's validator): anything else is a 404."""

    regex = NUMERO_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NumeroConverter, "numero")
