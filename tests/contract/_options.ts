/**
 * Options shared by the contract suites.
 * @module
 */

/** Options of a contract suite. */
export interface ContractOptions {
  /** Skip the suite (its service is not there). */
  ignore?: boolean;
}
