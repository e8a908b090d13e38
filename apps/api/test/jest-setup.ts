// Integration tests boot a real application on a real database.
jest.setTimeout(30000);
