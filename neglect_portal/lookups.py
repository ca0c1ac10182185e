"""`any_of(field, values)`: `field__in=values` for long lists, sent as one array on PostgreSQL.

`field__in=values` writes one placeholder per value. With a thousand ids (a partner manager's
queue at county scale reads about 1,300 cases and their households) the driver spends milliseconds
splitting the query and quoting each value, and PostgreSQL parsing them, for every such query.
`field = ANY(%s)` sends the list as a single array parameter and PostgreSQL plans it the same way
(an `IN` list becomes `= ANY(ARRAY[...])` there anyway). Elsewhere (SQLite, the embedded default)
it is `IN`, as Django writes it.

    Case.objects.filter(any_of("pk", ids))
    Case.objects.exclude(any_of("pk", ids))
"""

from django.db.models import F
from django.db.models.lookups import In

INTEGER_COLUMNS = ("smallint", "integer", "bigint")
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


class AnyOf(In):
    """Django's `In`, with the values as one array on PostgreSQL (`None` dropped, as `In` does)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [value for value in self.rhs if value is not None]
        # Ids of an integer column, the usual list, go as one bigint array literal written here: preparing 40,000
        # of them one by one costs 80 ms, and the driver's own dumping of a list of ints, element by element in
        # Python, 18 ms for 6,600 ids where the literal costs 7 ms (PostgreSQL compares an integer column with
        # bigints through the same index).
        if field.db_type(connection) in INTEGER_COLUMNS and all(type(value) is int and BIGINT_MIN <= value <= BIGINT_MAX for value in values):
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, "{" + ",".join(map(str, values)) + "}")
        values = [field.get_db_prep_value(value, connection, prepared=False) for value in values]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


def any_of(field_name: str, values) -> AnyOf:
    """The condition `field_name` is one of `values` (a filter or exclude argument; an empty list matches nothing)."""
    return AnyOf(F(field_name), list(values))
