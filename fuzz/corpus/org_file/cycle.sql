INSERT INTO cycles (id, org_id, name, status, model_yaml, anonymous, min_group_size, created_at) VALUES ('c1', 'o1', 'Spring', 'open', 'id: x', 1, 3, 5);
INSERT INTO participants (id, cycle_id, token_hash, role, unit, created_at) VALUES ('p1', 'c1', 'h1', 'manager', 'Sales', 6);
INSERT INTO answers (participant_id, round, item_id, value, updated_at) VALUES ('p1', 1, 'LS2', 4, 7);
INSERT INTO answers (participant_id, round, item_id, value, updated_at) VALUES ('p9', 1, 'LS3', 2, 7);
INSERT INTO audit_log (at, actor, org_id, action, detail) VALUES (1, 'cli', 'o1', 'orgs.update', '');
