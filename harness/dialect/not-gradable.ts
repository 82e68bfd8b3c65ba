/**
 * The verdict "not gradable with this profile", thrown by the Session and by the dialect it renders
 * through. Its own module (re-exported by session-api.ts) so that harness/dialect/* need not import
 * session-api.ts, which imports their types: no import cycle between the two.
 */
import type { VariantName } from './variants.ts';

/**
 * Thrown when the active profile cannot express an action or recognise an event that a scenario
 * needs. The runner reports such scenarios as "not gradable with this profile", never as pass or fail.
 */
export class NotGradableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotGradableError';
  }
}

/**
 * Not gradable because the server follows a course variant its profile declares (harness/dialect/variants.ts):
 * the scenario checks the very rule the variant replaces. The step wrapper also attaches the variant, so
 * a strict grade can count it as failed.
 */
export class VariantNotGradableError extends NotGradableError {
  constructor(
    readonly variant: VariantName,
    message: string,
  ) {
    super(message);
  }
}
