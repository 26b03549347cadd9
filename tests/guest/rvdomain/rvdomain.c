// SPDX-License-Identifier: GPL-2.0
/*
 * rvdomain: a test module for the riscv64 guest (tests/cli/t0169). Linux on
 * RISC-V gives no DMA device a paging domain (no IOMMU_DMA), so this module
 * has the kernel's RISC-V IOMMU driver build one for the e1000 and attach
 * it, the one way a test gets a page table that the kernel itself built:
 *
 *  - an identity map of all RAM (IOVA == PA): the addresses the e1000
 *    driver already gave its NIC (dma-direct) keep working, now translated
 *    by the table; iommu_map() picks the page sizes;
 *  - an alias of all RAM at IOVA PA + offset, below 4G (the e1000's DMA
 *    mask is 32 bits): once the domain is attached, the NIC's DMA range
 *    map gets that offset, as for a bus whose DMA addresses are not its
 *    physical ones, so that every buffer the driver maps from then on has
 *    an IOVA that only this table turns into its PA (the map keeps the
 *    identity range after it, for the addresses given before);
 *  - pages of its own at IOVA_BASE: SINGLES single pages a page apart, then
 *    one 64K block (a Svnapot leaf), each page holding "rvdomain iova
 *    0x<its IOVA>", so that a test can check a translation against the
 *    dump's bytes;
 *  - the IOMMU's first performance counter set to count the first-stage
 *    page-table walks for the NIC's requests (iohpmevt1: event 7, DV, the
 *    NIC's device ID): QEMU's witness that the IOMMU walks this table. The
 *    driver leaves the counters alone.
 *
 * It says what it did on the console ("rvdomain: ...") and stays loaded
 * (no exit: the NIC keeps the domain until the guest is dumped).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define IOVA_BASE 0x5a0000000UL
#define SINGLES 4
#define BLOCK_ORDER 4 /* 64K */

/* QEMU's riscv-iommu-pci and the registers of the RISC-V IOMMU spec 1.0 */
#define RISCV_IOMMU_PCI_DEVICE 0x0014
#define RV_CAPS 0x0
#define RV_CAPS_HPM BIT_ULL(30)
#define RV_IOCOUNTINH 0x5c
#define RV_IOCOUNTINH_HPM1 BIT(1)
#define RV_IOHPMEVT1 0x160
#define RV_EVT_S_VS_WALKS 7
#define RV_EVT_DID_SHIFT 36
#define RV_EVT_DV_GSCV BIT_ULL(61)

/* the NIC's DMA addresses once attached: the alias first, then identity */
static struct bus_dma_region dma_map[3];
static struct iommu_domain *domain;
static struct pci_dev *nic;
static struct page *singles[SINGLES], *block;

static void fill(struct page *page, unsigned long iova)
{
	char *va = page_address(page);

	memset(va, 0, PAGE_SIZE);
	snprintf(va, PAGE_SIZE, "rvdomain iova 0x%lx", iova);
}

/* ORDER's pages at IOVA, each named by its IOVA */
static int map_named(struct page **pages, unsigned long iova, unsigned int order)
{
	int i, ret;

	*pages = alloc_pages(GFP_KERNEL, order);
	if (!*pages)
		return -ENOMEM;
	for (i = 0; i < 1 << order; i++)
		fill(*pages + i, iova + i * PAGE_SIZE);
	ret = iommu_map(domain, iova, page_to_phys(*pages), PAGE_SIZE << order,
			IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
	if (ret)
		return ret;
	for (i = 0; i < 1 << order; i++)
		pr_info("page 0x%lx -> 0x%llx\n", iova + i * PAGE_SIZE,
			(unsigned long long)page_to_phys(*pages + i));
	return 0;
}

static int map_pages(void)
{
	unsigned long iova = IOVA_BASE;
	int i, ret;

	for (i = 0; i < SINGLES; i++, iova += 2 * PAGE_SIZE) {
		ret = map_named(&singles[i], iova, 0);
		if (ret)
			return ret;
	}
	/* alloc_pages() aligns a block to its size, as a 64K leaf needs */
	return map_named(&block, ALIGN(iova, PAGE_SIZE << BLOCK_ORDER), BLOCK_ORDER);
}

static void free_named(void)
{
	int i;

	for (i = 0; i < SINGLES; i++)
		if (singles[i])
			__free_page(singles[i]);
	if (block)
		__free_pages(block, BLOCK_ORDER);
}

/* the IOMMU's first counter: the first-stage walks for the NIC's requests */
static void count_walks(void)
{
	struct pci_dev *iommu = pci_get_device(PCI_VENDOR_ID_REDHAT, RISCV_IOMMU_PCI_DEVICE, NULL);
	void __iomem *regs;

	if (!iommu)
		return;
	regs = ioremap(pci_resource_start(iommu, 0), PAGE_SIZE);
	if (regs) {
		if (readq(regs + RV_CAPS) & RV_CAPS_HPM) {
			writeq(RV_EVT_S_VS_WALKS | RV_EVT_DV_GSCV |
			       (u64)pci_dev_id(nic) << RV_EVT_DID_SHIFT, regs + RV_IOHPMEVT1);
			writel(readl(regs + RV_IOCOUNTINH) & ~RV_IOCOUNTINH_HPM1,
			       regs + RV_IOCOUNTINH);
			pr_info("counting the first-stage walks for %s\n", pci_name(nic));
		}
		iounmap(regs);
	}
	pci_dev_put(iommu);
}

static int __init rvdomain_init(void)
{
	phys_addr_t start = phys_ram_base, end = __pa(high_memory);
	u64 offset;
	int ret;

	nic = pci_get_device(PCI_VENDOR_ID_INTEL, 0x100e, NULL);
	if (!nic) {
		pr_err("no e1000\n");
		return -ENODEV;
	}
	domain = iommu_paging_domain_alloc(&nic->dev);
	if (IS_ERR(domain)) {
		ret = PTR_ERR(domain);
		pr_err("no paging domain for %s: %d\n", pci_name(nic), ret);
		goto put;
	}
	ret = iommu_map(domain, start, start, end - start, IOMMU_READ | IOMMU_WRITE,
			GFP_KERNEL);
	if (ret) {
		pr_err("identity map: %d\n", ret);
		goto free;
	}
	pr_info("identity 0x%llx-0x%llx\n", (unsigned long long)start,
		(unsigned long long)end - 1);
	offset = ALIGN(end - start, SZ_1G);
	if (end - 1 + offset > dma_get_mask(&nic->dev) || nic->dev.dma_range_map) {
		ret = -ERANGE;
		pr_err("alias: RAM + 0x%llx is past the DMA mask, or a DMA range map is set\n",
		       (unsigned long long)offset);
		goto free;
	}
	ret = iommu_map(domain, start + offset, start, end - start, IOMMU_READ | IOMMU_WRITE,
			GFP_KERNEL);
	if (ret) {
		pr_err("alias: %d\n", ret);
		goto free;
	}
	pr_info("alias 0x%llx-0x%llx -> 0x%llx\n", (unsigned long long)(start + offset),
		(unsigned long long)(end - 1 + offset), (unsigned long long)start);
	ret = map_pages();
	if (ret) {
		pr_err("pages: %d\n", ret);
		goto free;
	}
	count_walks();
	ret = iommu_attach_device(domain, &nic->dev);
	if (ret) {
		pr_err("attach to %s: %d\n", pci_name(nic), ret);
		goto free;
	}
	pr_info("attached a paging domain to %s\n", pci_name(nic));
	dma_map[0] = (struct bus_dma_region){ start, start + offset, end - start };
	dma_map[1] = (struct bus_dma_region){ start, start, end - start };
	WRITE_ONCE(nic->dev.dma_range_map, dma_map);
	pr_info("DMA offset 0x%llx for %s\n", (unsigned long long)offset, pci_name(nic));
	return 0;
free:
	iommu_domain_free(domain);
	free_named();
put:
	pci_dev_put(nic);
	return ret;
}
module_init(rvdomain_init);

MODULE_DESCRIPTION("pgtctl test: a RISC-V IOMMU paging domain the kernel builds for the e1000");
MODULE_LICENSE("GPL");
