// SPDX-License-Identifier: GPL-2.0
/*
 * rvdomain: a test module for the riscv64 guest (tests/cli/t0169). Linux on
 * RISC-V gives no DMA device a paging domain (no IOMMU_DMA), so this module
 * has the kernel's RISC-V IOMMU driver build one for the e1000 and attach
 * it, the one way a test gets a page table that the kernel itself built:
 *
 *  - an identity map of all RAM (IOVA == PA): the addresses the e1000
 *    driver already gave its NIC (dma-direct) keep working, now translated
 *    by the table; iommu_map() picks the page sizes (1G/2M/64K/4K);
 *  - PAGES pages of its own at IOVA_BASE, the last 16 one 64K block (a
 *    Svnapot leaf), each filled with "rvdomain iova 0x<iova>" so a test can
 *    check a translation against the dump's bytes;
 *  - the IOMMU's first performance counter set to count the first-stage
 *    page-table walks for the NIC's requests (iohpmevt1: event 7, DV with
 *    the NIC's device ID), QEMU's witness that the IOMMU walks this table.
 *
 * It says what it did on the console ("rvdomain: ...") and stays loaded.
 */
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define IOVA_BASE 0x5a0000000UL
#define SINGLES 4 /* single 4K pages, then one 64K block */
#define BLOCK_ORDER 4

/* the RISC-V IOMMU's registers (IOMMU spec 1.0, chapter 6) */
#define RV_CAPS 0x0
#define RV_CAPS_HPM BIT_ULL(30)
#define RV_IOCOUNTINH 0x5c
#define RV_IOHPMEVT1 0x160
#define RV_EVT_S_VS_WALKS 7
#define RV_EVT_DID_SHIFT 36
#define RV_EVT_DV_GSCV BIT_ULL(61)

static struct iommu_domain *domain;
static struct pci_dev *nic;
static struct page *singles[SINGLES], *block;

static void fill(struct page *page, unsigned long iova)
{
	char *va = page_address(page);

	memset(va, 0, PAGE_SIZE);
	snprintf(va, PAGE_SIZE, "rvdomain iova 0x%lx", iova);
}

static int map_pages(void)
{
	unsigned long iova = IOVA_BASE;
	int i, ret;

	for (i = 0; i < SINGLES; i++, iova += 2 * PAGE_SIZE) {
		singles[i] = alloc_page(GFP_KERNEL);
		if (!singles[i])
			return -ENOMEM;
		fill(singles[i], iova);
		ret = iommu_map(domain, iova, page_to_phys(singles[i]), PAGE_SIZE,
				IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
		if (ret)
			return ret;
		pr_info("rvdomain: page 0x%lx -> 0x%llx\n", iova,
			(unsigned long long)page_to_phys(singles[i]));
	}
	/* alloc_pages() gives a block aligned to its size: a 64K leaf */
	iova = ALIGN(iova, PAGE_SIZE << BLOCK_ORDER);
	block = alloc_pages(GFP_KERNEL, BLOCK_ORDER);
	if (!block)
		return -ENOMEM;
	for (i = 0; i < 1 << BLOCK_ORDER; i++)
		fill(block + i, iova + i * PAGE_SIZE);
	ret = iommu_map(domain, iova, page_to_phys(block), PAGE_SIZE << BLOCK_ORDER,
			IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
	if (ret)
		return ret;
	for (i = 0; i < 1 << BLOCK_ORDER; i++)
		pr_info("rvdomain: page 0x%lx -> 0x%llx\n", iova + i * PAGE_SIZE,
			(unsigned long long)page_to_phys(block + i));
	return 0;
}

/* the IOMMU's first counter: the first-stage walks for the NIC's requests */
static void count_walks(void)
{
	struct pci_dev *iommu = pci_get_device(PCI_VENDOR_ID_REDHAT, 0x0014, NULL);
	void __iomem *regs;

	if (!iommu)
		return;
	regs = ioremap(pci_resource_start(iommu, 0), 0x1000);
	if (regs) {
		if (readq(regs + RV_CAPS) & RV_CAPS_HPM) {
			writel(0, regs + RV_IOCOUNTINH);
			writeq(RV_EVT_S_VS_WALKS | RV_EVT_DV_GSCV |
			       (u64)pci_dev_id(nic) << RV_EVT_DID_SHIFT, regs + RV_IOHPMEVT1);
			pr_info("rvdomain: counting the walks for %s\n", pci_name(nic));
		}
		iounmap(regs);
	}
	pci_dev_put(iommu);
}

static int __init rvdomain_init(void)
{
	phys_addr_t start = phys_ram_base, end = __pa(high_memory);
	int ret;

	nic = pci_get_device(PCI_VENDOR_ID_INTEL, 0x100e, NULL);
	if (!nic) {
		pr_err("rvdomain: no e1000\n");
		return -ENODEV;
	}
	domain = iommu_paging_domain_alloc(&nic->dev);
	if (IS_ERR(domain)) {
		ret = PTR_ERR(domain);
		pr_err("rvdomain: no paging domain for %s: %d\n", pci_name(nic), ret);
		goto put;
	}
	ret = iommu_map(domain, start, start, end - start, IOMMU_READ | IOMMU_WRITE,
			GFP_KERNEL);
	if (ret) {
		pr_err("rvdomain: identity map: %d\n", ret);
		goto free;
	}
	pr_info("rvdomain: identity 0x%llx-0x%llx\n", (unsigned long long)start,
		(unsigned long long)end - 1);
	ret = map_pages();
	if (ret) {
		pr_err("rvdomain: pages: %d\n", ret);
		goto free;
	}
	count_walks();
	ret = iommu_attach_device(domain, &nic->dev);
	if (ret) {
		pr_err("rvdomain: attach to %s: %d\n", pci_name(nic), ret);
		goto free;
	}
	pr_info("rvdomain: attached a paging domain to %s\n", pci_name(nic));
	return 0;
free:
	iommu_domain_free(domain);
put:
	pci_dev_put(nic);
	return ret;
}
module_init(rvdomain_init);

MODULE_DESCRIPTION("pgtctl test: a RISC-V IOMMU paging domain the kernel builds for the e1000");
MODULE_LICENSE("GPL");
