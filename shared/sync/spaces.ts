/**
 * Spaces: the unit of scoping for pull and pokes (docs/sync.md). Every row lives in one or more
 * spaces (the registry says which, from the row's own fields), and a token sees a set of spaces;
 * that set IS the scoping rule, so a pull can only ever return rows of spaces its token may see.
 *
 *   program:<programId>   program, territories, providers, services        (every role)
 *   catalog:<providerId>  that provider's sessions                         (every role of the program)
 *   family:<familyId>     family, children, vouchers, the family's bookings and their messages
 *   orders:<providerId>   bookings on that provider's sessions and their messages (that provider; officers)
 *   staff:<providerId>    that provider's operators (that provider; officers): never the families
 *   assigned:<operatorId> the bookings assigned to one operator and their messages (that operator's phone)
 *   emergency:<territoryId> open emergency requests of a territory     (providers that may take them)
 *   office:<programId>    rows the program office follows (emergency requests)  (officers)
 *   principal:<…>         nothing stored: pokes for a principal's own results
 */
export const space = {
  program: (programId: string) => `program:${programId}`,
  catalog: (providerId: string) => `catalog:${providerId}`,
  family: (familyId: string) => `family:${familyId}`,
  orders: (providerId: string) => `orders:${providerId}`,
  staff: (providerId: string) => `staff:${providerId}`,
  assigned: (operatorId: string) => `assigned:${operatorId}`,
  principal: (principal: string) => `principal:${principal}`,
  emergency: (territoryId: string) => `emergency:${territoryId}`,
  office: (programId: string) => `office:${programId}`,
}
