import { DomainError } from '../common/errors';

/** The file waits for its antivirus scan: it will be served once found clean. */
export class ScanPendingError extends DomainError {
  constructor() {
    super('FILE_SCAN_PENDING', 'This file is being checked by the antivirus. Try again in a moment.');
  }
}

/** The antivirus found a virus in the file: it is quarantined and never served. */
export class QuarantinedError extends DomainError {
  constructor(readonly signature: string | null) {
    super('FILE_QUARANTINED', `This file was found infected${signature ? ` (${signature})` : ''} and is blocked. An administrator can delete it.`);
  }
}

/** The antivirus refused the file (larger than it accepts): not served, since it was not checked. */
export class UnscannableError extends DomainError {
  constructor() {
    super('FILE_UNSCANNABLE', 'The antivirus could not check this file (it is larger than the antivirus accepts), so it is not served. Ask an administrator.');
  }
}
