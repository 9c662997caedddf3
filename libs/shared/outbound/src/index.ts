export { forbiddenRangeOf } from './address-policy';
export {
  OutboundError,
  OutboundErrorCode,
  OutboundResponseTooLargeError,
  OutboundTargetForbiddenError,
  outboundRefusalOf,
} from './outbound-errors';
export {
  OutboundGuard,
  outboundGuard,
  type OutboundGuardOptions,
  type ResolvedAddress,
  type Resolver,
} from './outbound-guard';
