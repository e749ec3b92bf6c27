DROP TABLE org_export;
