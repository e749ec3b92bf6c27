INSERT INTO organizations (id, name, industry, size_band, created_at) VALUES ('o2', 'Second', '', '', 1);
