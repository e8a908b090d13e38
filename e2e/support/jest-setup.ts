// Browser and server tests start the built product and Chromium.
jest.setTimeout(180000);
