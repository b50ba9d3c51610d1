from django.db import connection
def explain(title, qs, count=False):
    sql, params = qs.query.get_compiler("default").as_sql()
    if count:
        sql = f"SELECT count(*) FROM ({sql}) sub"
    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(r[0] for r in c.fetchall())
    print(f"=== {title}\n{plan}\n", flush=True)
