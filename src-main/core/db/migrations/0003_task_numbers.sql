-- Task numbers: the next number of a project (max + 1) and the check for numbers that replicas
-- working at once handed out twice are index lookups, not scans of the project's tasks.
CREATE INDEX tasks_number ON tasks (project_id, number);
