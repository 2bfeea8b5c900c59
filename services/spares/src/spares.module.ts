import { Module } from '@nestjs/common';
import { CaseDemandController } from './cases/case-demand.controller';
import { CaseDemandRecorder } from './cases/case-demand.handler';
import { CaseDemandRepository } from './cases/case-demand.repository';
import { CatalogController } from './catalog/catalog.controller';
import { CatalogRepository } from './catalog/catalog.repository';
import { CatalogService } from './catalog/catalog.service';
import { DailyReports } from './depots/daily-reports';
import { DepotRepository } from './depots/depot.repository';
import { DepotsController } from './depots/depots.controller';
import { DepotsService } from './depots/depots.service';
import { StockLedger } from './depots/stock-ledger';
import { PartAskMetrics, PartAskRelay } from './interregion/part-ask-relay';
import { PartAskRepository } from './interregion/part-ask.repository';
import { PartAsksController } from './interregion/part-asks.controller';
import { PartAsksService } from './interregion/part-asks.service';
import { PlanEventsHandler } from './plans/plan-events.handler';
import { PurchasePlanRepository } from './plans/purchase-plan.repository';
import { PurchasePlansController } from './plans/purchase-plans.controller';
import { PurchasePlansService } from './plans/purchase-plans.service';
import { RepairOrderRepository } from './repairs/repair-order.repository';
import { RepairOrdersController } from './repairs/repair-orders.controller';
import { RepairOrdersService } from './repairs/repair-orders.service';
import { PartRequestRepository } from './requests/part-request.repository';
import { PartRequestsController } from './requests/part-requests.controller';
import { PartRequestsService } from './requests/part-requests.service';
import { Reserver } from './requests/reserver';
import { ReturnRepository } from './returns/return.repository';
import { ReturnsController } from './returns/returns.controller';
import { ReturnsService } from './returns/returns.service';
import { SparesMetrics } from './shared/spares-metrics';
import { Transactions } from './shared/tx';
import { SparesSweeper } from './sweeper';

@Module({
  controllers: [
    CaseDemandController,
    CaseDemandRecorder,
    CatalogController,
    DepotsController,
    PartRequestsController,
    ReturnsController,
    RepairOrdersController,
    PurchasePlansController,
    PlanEventsHandler,
    PartAsksController,
  ],
  providers: [
    SparesMetrics,
    CaseDemandRepository,
    CatalogRepository,
    CatalogService,
    DepotRepository,
    DepotsService,
    StockLedger,
    DailyReports,
    PartRequestRepository,
    PartRequestsService,
    Reserver,
    ReturnRepository,
    ReturnsService,
    RepairOrderRepository,
    RepairOrdersService,
    PurchasePlanRepository,
    PurchasePlansService,
    SparesSweeper,
    PartAskRepository,
    PartAskMetrics,
    PartAskRelay,
    PartAsksService,
    Transactions,
  ],
})
export class SparesModule {}
