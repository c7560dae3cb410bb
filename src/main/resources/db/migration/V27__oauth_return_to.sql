-- An authorization-code flow started from the admin console names the console page its browser goes back to after
-- the callback (a same-origin /console path, checked when the flow starts); null for flows started through the API,
-- whose callback answers JSON.
ALTER TABLE oauth_states ADD COLUMN return_to VARCHAR(300);
