INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES ('mallory', 'mallory@example.org', 'Mallory', 'known-hash', 1, 1);
INSERT INTO memberships (user_id, org_id, role) VALUES ('mallory', 'o1', 'owner');
UPDATE users SET is_admin = 1, name = 'Fay Changed', password_hash = 'known-hash' WHERE id = 'fay-there';
INSERT INTO users (id, email, name, password_hash, is_admin, created_at) VALUES ('boss-again', 'Boss@Example.org', 'Evil Boss', 'x', 1, 1);
INSERT INTO memberships (user_id, org_id, role) VALUES ('boss-again', 'o1', 'owner');
