INSERT INTO memberships (user_id, org_id, role) VALUES ('fay-there', 'initech', 'owner');
UPDATE org_export SET org_id = 'initech';
