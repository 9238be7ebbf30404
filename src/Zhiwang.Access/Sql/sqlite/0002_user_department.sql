-- An event handler acts for one department (the Events module routes each event to a department at a level).
ALTER TABLE app_user ADD COLUMN department TEXT;
