"""Reading a site folder: configuration, content files, facts, rules and the inputs a build depends on."""
