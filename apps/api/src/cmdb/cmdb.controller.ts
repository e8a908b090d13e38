import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type {
  CmdbExpiringItem,
  CmdbHistoryEntry,
  CmdbImpact,
  CmdbItem,
  CmdbItemList,
  CmdbItemRelations,
  CmdbItemSummary,
  CmdbItemTicket,
  CmdbRelation,
  CmdbType,
} from '@guichet/contracts';
import type { AuthenticatedContext } from '../access/principal';
import { Authenticated, Ctx } from '../access/route-access';
import { UuidParam } from '../common/dto/common.dto';
import {
  CmdbExpiringQueryDto,
  CmdbImpactQueryDto,
  CmdbItemQueryDto,
  CreateCmdbItemDto,
  CreateCmdbRelationDto,
  CreateCmdbTypeDto,
  LinkItemTicketDto,
  LinkTicketItemDto,
  UpdateCmdbItemDto,
  UpdateCmdbTypeDto,
} from './cmdb.dto';
import { CmdbGraphService } from './cmdb-graph.service';
import { CmdbTypesService } from './cmdb-types.service';
import { CmdbService } from './cmdb.service';

/** Configuration management (docs/cmdb.md): every route authenticated; what one may not see is 404. */
@ApiTags('cmdb')
@Controller('api/cmdb')
export class CmdbController {
  constructor(
    private readonly service: CmdbService,
    private readonly types: CmdbTypesService,
    private readonly graph: CmdbGraphService,
  ) {}

  @Get('types')
  @Authenticated()
  listTypes(@Ctx() ctx: AuthenticatedContext): Promise<CmdbType[]> {
    return this.types.listTypes(ctx);
  }

  @Get('types/:id')
  @Authenticated()
  getType(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_type')) id: string): Promise<CmdbType> {
    return this.types.getType(ctx, id);
  }

  @Post('types')
  @Authenticated({ rights: ['cmdb.manage'] })
  createType(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateCmdbTypeDto): Promise<CmdbType> {
    return this.types.createType(ctx, body);
  }

  @Patch('types/:id')
  @Authenticated({ rights: ['cmdb.manage'] })
  updateType(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_type')) id: string, @Body() body: UpdateCmdbTypeDto): Promise<CmdbType> {
    return this.types.updateType(ctx, id, body);
  }

  @Delete('types/:id')
  @Authenticated({ rights: ['cmdb.manage'] })
  @HttpCode(204)
  deleteType(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_type')) id: string): Promise<void> {
    return this.types.deleteType(ctx, id);
  }

  /** Items the caller sees; with `project=KEY`, the items the new-ticket form offers. */
  @Get('items')
  @Authenticated()
  listItems(@Ctx() ctx: AuthenticatedContext, @Query() q: CmdbItemQueryDto): Promise<CmdbItemList> {
    return this.service.listItems(ctx, q);
  }

  @Post('items')
  @Authenticated({ rights: ['cmdb.manage'] })
  createItem(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateCmdbItemDto): Promise<CmdbItem> {
    return this.service.createItem(ctx, body);
  }

  @Get('items/:id')
  @Authenticated()
  getItem(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string): Promise<CmdbItem> {
    return this.service.getItem(ctx, id);
  }

  @Patch('items/:id')
  @Authenticated({ rights: ['cmdb.manage'] })
  updateItem(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string, @Body() body: UpdateCmdbItemDto): Promise<CmdbItem> {
    return this.service.updateItem(ctx, id, body);
  }

  @Delete('items/:id')
  @Authenticated({ rights: ['cmdb.manage'] })
  @HttpCode(204)
  deleteItem(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string): Promise<void> {
    return this.service.deleteItem(ctx, id);
  }

  @Get('items/:id/relations')
  @Authenticated()
  relations(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string): Promise<CmdbItemRelations> {
    return this.graph.relations(ctx, id);
  }

  /** What depends on the item (`direction=impact`) or what it depends on (`dependencies`), transitively. */
  @Get('items/:id/impact')
  @Authenticated()
  impact(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string, @Query() q: CmdbImpactQueryDto): Promise<CmdbImpact> {
    return this.graph.impact(ctx, id, q.direction, q.depth);
  }

  @Get('items/:id/history')
  @Authenticated()
  history(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string): Promise<CmdbHistoryEntry[]> {
    return this.service.history(ctx, id);
  }

  @Get('items/:id/tickets')
  @Authenticated()
  itemTickets(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string): Promise<CmdbItemTicket[]> {
    return this.graph.itemTickets(ctx, id);
  }

  @Post('items/:id/tickets')
  @Authenticated()
  @HttpCode(204)
  linkFromItem(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string, @Body() body: LinkItemTicketDto): Promise<void> {
    return this.graph.link(ctx, body.ticketKey, id);
  }

  @Delete('items/:id/tickets/:key')
  @Authenticated()
  @HttpCode(204)
  unlinkFromItem(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_item')) id: string, @Param('key') key: string): Promise<void> {
    return this.graph.unlink(ctx, key, id);
  }

  /** Expiry watch: items whose `expires_on` date falls within `days` days (default 30) or has passed. */
  @Get('expiring')
  @Authenticated()
  expiring(@Ctx() ctx: AuthenticatedContext, @Query() q: CmdbExpiringQueryDto): Promise<CmdbExpiringItem[]> {
    return this.graph.expiring(ctx, q.days);
  }

  @Post('relations')
  @Authenticated({ rights: ['cmdb.manage'] })
  createRelation(@Ctx() ctx: AuthenticatedContext, @Body() body: CreateCmdbRelationDto): Promise<CmdbRelation> {
    return this.graph.createRelation(ctx, body);
  }

  @Get('relations/:id')
  @Authenticated()
  getRelation(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_relation')) id: string): Promise<CmdbRelation> {
    return this.graph.getRelation(ctx, id);
  }

  @Delete('relations/:id')
  @Authenticated({ rights: ['cmdb.manage'] })
  @HttpCode(204)
  deleteRelation(@Ctx() ctx: AuthenticatedContext, @Param('id', new UuidParam('cmdb_relation')) id: string): Promise<void> {
    return this.graph.deleteRelation(ctx, id);
  }

  @Get('tickets/:key/items')
  @Authenticated()
  ticketItems(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string): Promise<CmdbItemSummary[]> {
    return this.graph.ticketItems(ctx, key);
  }

  @Post('tickets/:key/items')
  @Authenticated()
  @HttpCode(204)
  linkFromTicket(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Body() body: LinkTicketItemDto): Promise<void> {
    return this.graph.link(ctx, key, body.itemId);
  }

  @Delete('tickets/:key/items/:itemId')
  @Authenticated()
  @HttpCode(204)
  unlinkFromTicket(@Ctx() ctx: AuthenticatedContext, @Param('key') key: string, @Param('itemId', new UuidParam('cmdb_item')) itemId: string): Promise<void> {
    return this.graph.unlink(ctx, key, itemId);
  }
}
