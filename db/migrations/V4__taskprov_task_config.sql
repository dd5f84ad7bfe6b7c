-- A task provisioned in-band (taskprov) keeps the configuration it was provisioned from, exactly as its
-- dap-taskprov header carried it: the Leader replays it to the Helper on every request, and its presence marks
-- the task's reports as needing the taskprov extension. NULL for tasks provisioned out of band.
ALTER TABLE tasks ADD COLUMN taskprov_task_config BYTEA;
