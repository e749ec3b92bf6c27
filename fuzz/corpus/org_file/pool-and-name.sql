INSERT INTO benchmark_pool (org_id, joined_at) VALUES ('o1', 1); UPDATE organizations SET name = ' INITECH ';
