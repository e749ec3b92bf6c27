CREATE TABLE strange (x);
