// The facilitator's pages' words (the setup and results areas), loaded with
// the facilitator's part of the application so that a participant's phone
// does not download them (src/lib/i18n.svelte.ts).
import enSetup from '../messages/en/setup.json';
import enResults from '../messages/en/results.json';
import deSetup from '../messages/de/setup.json';
import deResults from '../messages/de/results.json';
import { addCatalogues } from './i18n.svelte';

addCatalogues({ en: { ...enSetup, ...enResults }, de: { ...deSetup, ...deResults } });
