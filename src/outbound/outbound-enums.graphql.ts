import { graphqlEnum } from '../platform/api/graphql-enum.util';
import { OUTBOUND_EVENT_TYPES } from './domain/outbound.enums';

export const OutboundEventTypeEnum = graphqlEnum('OutboundEventType', OUTBOUND_EVENT_TYPES);
