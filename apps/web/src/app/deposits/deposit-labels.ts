import type { ArchiveWarning, DepositCategory, DepositScanStatus } from '@guichet/contracts';
import type { TranslationKey } from '../core/i18n/dictionary';

export const categoryKey = (c: DepositCategory): TranslationKey => `depositCategory.${c}`;
export const scanKey = (s: DepositScanStatus): TranslationKey => `depositScan.${s}`;
export const warningKey = (w: ArchiveWarning): TranslationKey => `archiveWarning.${w}`;
