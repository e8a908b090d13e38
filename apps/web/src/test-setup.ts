// Angular's TestBed for the web unit tests, without zone.js like the application (app.config.ts).
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();
