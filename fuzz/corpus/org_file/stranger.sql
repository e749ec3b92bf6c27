INSERT INTO audit_log (at, actor, org_id, action, detail) VALUES (1, 'boss', 'o1', 'x', '');
