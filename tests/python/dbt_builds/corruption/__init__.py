"""Corruption suite: a generated Dataverse export, corrupted in many ways.

A baseline export is generated once (Parquet, and the same data as CSV) and built once. Every
corruption is applied to a copy and built by dbt (`build --exclude test_type:unit`: the data tests,
the load-audit reconciliation among them, run too). Corruptions that touch disjoint rows share a
build, so the suite stays fast; each case still has its own test and its own expectations:

- build `neutral_parquet` and `neutral_csv`: corruptions that add only unusable or duplicate rows,
  or change only how values are written: every mart must equal the baseline's (the CSV build is
  compared with the Parquet baseline: the same data in another format);
- build `faulty_csv`: corruptions that change some sessions: those sessions are checked field by
  field, every other session and every metric row of an untouched grain must equal the baseline's;
- error builds: the build stops with one message naming the table, column, path or var.

For every build that succeeds, dataverse_load_audit must equal what the files imply, computed here
independently (expected_states.py): per table, the raw rows counted from the files; per state and
reason, the pristine export's states plus the change each corruption declares.

Modules: export_files (reading and editing an export's files), expected_states (the independent
oracle), warehouse (reading a built warehouse, picking sessions), suite (the builds), checks (the
comparisons every case shares), cases_neutral_parquet / cases_neutral_csv / cases_faulty_csv /
cases_errors (the corruptions), conftest (the fixtures), test_* (the expectations).
"""
